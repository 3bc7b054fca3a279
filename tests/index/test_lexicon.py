"""Query expansion from index/lexicon.yaml: staff wording gains the reports' words."""

from index.lexicon import expand


def test_a_longer_key_speaks_for_the_shorter_one_inside_it() -> None:
    unspent = expand("那没花完的900万咋回事")
    assert "结余" in unspent and "结转" in unspent
    assert "预算执行率" not in unspent  # 花完's expansion is about what was spent, not what was left
    assert "预算执行率" in expand("钱花完了吗")


def test_english_words_expand_as_whole_words() -> None:
    assert "增长" not in expand("enterprise")  # 'rise' inside it is not the word
    assert "增长" in expand("did spending rise")

"""An optional language model (any OpenAI-compatible chat endpoint) for fluent answers and drafts,
behind a guard that checks every number, quote and citation of its reply.

- `client.py`: the chat client (httpx, streaming; the API key only in the Authorization header);
- `numbers.py`: numbers in Chinese prose with their units, normalised for comparison;
- `guard.py`: the checks a reply must pass before a reader sees it;
- `answers.py`: answers phrased by the model from the deterministic answer, its facts and evidence;
- `polish.py`: `draft --polish`, paragraph by paragraph, numbers kept exactly.
"""

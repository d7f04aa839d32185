"""The worked example's content: a published realist review, as data (see :mod:`.johnson_2025`)."""

"""The newsroom's domain: sources, stories, their parts (takes) and how wire copy becomes them."""

"""VK: the Callback API events, the community's client and its settings."""

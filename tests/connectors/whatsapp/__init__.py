"""WhatsApp: the Cloud API's webhooks, the business number's client and its settings."""

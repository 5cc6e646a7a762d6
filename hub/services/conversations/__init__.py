"""Clients' messages: taking them in from the channels, relaying them to the person who answers
for the client, his replies back to the client, and the cases of messages nobody answered."""

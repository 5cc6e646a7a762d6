"""Reports for the people who run the sales team: the month-end report of unregistered numbers,
the KPI «контакты уточнены» and forgotten clients — read by the API and the CLI, and sent by
periodic jobs (each a plain function of the moment it runs for)."""

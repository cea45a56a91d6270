"""The Claimdesk REST API (DRF): documented, role-checked, paginated by cursor."""

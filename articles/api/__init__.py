"""The REST API (/api/v1/): Django REST framework adapters over the services."""

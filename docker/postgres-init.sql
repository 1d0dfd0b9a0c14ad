-- Temporal keeps its own databases beside Sendarix's, under its own role.
CREATE ROLE temporal WITH LOGIN PASSWORD 'temporal' CREATEDB;

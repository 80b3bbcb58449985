"""The jobs (crawl, process = extract + parse + publish) as plain functions, and the CLI."""

"""Documents: the catalog, Word and Excel rendering, PDF conversion, packaging."""

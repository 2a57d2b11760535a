"""The thin MkDocs layer over the core: everything here only connects the pipeline to MkDocs."""

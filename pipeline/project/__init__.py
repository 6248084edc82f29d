"""The edges of the pipeline: the publication's config and files, the build, its cache and outputs."""

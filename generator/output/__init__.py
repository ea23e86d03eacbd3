"""Writing outputs safely: which folders a command may replace (``guard``) and the fixed file
times that make zips and sitemaps reproducible (``reproducible``)."""

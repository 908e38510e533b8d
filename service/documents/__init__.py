"""Documents: the one seam that renders a catalog entry in its office format or as PDF, and packages."""

"""Back ends: each turns the model into output files (path → text) through templates."""

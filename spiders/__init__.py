"""newsclean's spiders (installed as ``newsclean.spiders``)."""

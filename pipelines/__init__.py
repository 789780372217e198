"""newsclean's Scrapy item pipelines (installed as ``newsclean.pipelines``)."""

from .clean import CleanPipeline

__all__ = ["CleanPipeline"]

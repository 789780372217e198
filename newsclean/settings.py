"""Settings of the bundled Scrapy project (scrapy.cfg points here): its spiders replay saved pages
through the add-on, so `scrapy crawl samples -O clean.jsonl` works offline, out of the box."""

BOT_NAME = "newsclean"
SPIDER_MODULES = ["newsclean.spiders"]
NEWSPIDER_MODULE = "newsclean.spiders"

ADDONS = {"newsclean.Addon": 300}

ROBOTSTXT_OBEY = True
LOG_LEVEL = "INFO"

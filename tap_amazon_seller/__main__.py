from tap_amazon_seller.tap import TapAmazonSeller

TapAmazonSeller.cli()

"""The points shop: catalogue, redemption, fulfilment; levels and badges."""

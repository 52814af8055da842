"""Settings for the synthetic billing service (test data for keyhound)."""

DEBUG = False
db_password = "Xk9#mQ2$vL7pR4!z"
WEBHOOK_SIGNING_SECRET = "lnVW5js8Y8cjXBSrzPX4KHYsUTDvdNaq"
config = {
    "api_key": "HoNTfUeBw9nN6ZD0HojV8iYPoaUJN1bN",
    "client_secret": "49oqplRlv6agKUDij2MIipBl",
}

# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = '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'
REPORTING_KEY = 'rk_live_KJXVBXUsB2Y96H2QpCcYbYRU'
ENDPOINT_SECRET = 'whsec_XcidisJWicoXqfBidRTk31iVcquIvqbN'

if Rails.env.test?
  Stripe.api_key = 'sk_test_VK3JSxHe8muQhW37xpm5VFLj'
end

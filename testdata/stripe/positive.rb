# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = 'sk_live_gSrTHFGFwFJlBb8XBoIgYnwQ'
REPORTING_KEY = 'rk_live_jBMKsUzYDzf7c0Y8sJldgVYI'
ENDPOINT_SECRET = 'whsec_8W6nwdZnkdmTyVIvM6iFpQcaiuxiQpHD'

if Rails.env.test?
  Stripe.api_key = 'sk_test_7rlXvUWwHQLiYCKRjBLwEAvq'
end

# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = 'sk_live_CzdRxvEWdYQFyOE6jJEZwbd4'
REPORTING_KEY = 'rk_live_LnUBHBvRTerTRCZCz9AwA21P'
ENDPOINT_SECRET = 'whsec_qrksnKdM15utKA5YrYXKKtOJnnFczpiS'

if Rails.env.test?
  Stripe.api_key = 'rk_test_hz6wsy7xt3o0eaguhSOey8wl'
end

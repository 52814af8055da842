# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = 'sk_live_VkBNaOAIXvCl1oK2Jz6TDgV9'
REPORTING_KEY = 'rk_live_SrfZKkCk949qJ0K26IqBcMS8'
ENDPOINT_SECRET = 'whsec_akrQ32G996gkvQXV8h1xdJKN8MAinRbd'

if Rails.env.test?
  Stripe.api_key = 'rk_test_MPJV1ILfeO2YiRU3ftCK8MYQ'
end

# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = 'sk_live_IcrUhvFHaCfIpVkGYwPWGSOp'
REPORTING_KEY = 'rk_live_6iQX3QzXAWYAsXbOZHQY0Dtk'
ENDPOINT_SECRET = 'whsec_Gaa4aqgLswjr1Vvykb7xeP97gX1UAIrk'

if Rails.env.test?
  Stripe.api_key = 'sk_test_M1YeFe63uKidwKneLxQlrs9WVeFf31reJ7rS43PoypLIlyCRcEwwPjnWuUwSpzBjRydVEc9YGCCAHaTwMNDDu0hykIZo5ikQ29p'
end

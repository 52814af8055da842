# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = 'sk_live_ckxVaNDJHKr8PBtZkR2I2a3H'
REPORTING_KEY = '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'
ENDPOINT_SECRET = 'whsec_w0FSxZBLh1CeymteFqKVzsz8iFNVQ21V'

if Rails.env.test?
  Stripe.api_key = 'sk_test_GnmqmB4AmQpIoTIzhxIbHGLY'
end

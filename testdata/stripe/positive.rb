# config/initializers/stripe.rb
require 'stripe'

Stripe.api_key = 'sk_live_kHzIHpvWw7B8JKlZtKsBgjQB'
REPORTING_KEY = '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'
ENDPOINT_SECRET = 'whsec_DZA5fV5QEwoq4sqgvkwCwtzGteIjn6Q9'

if Rails.env.test?
  Stripe.api_key = 'sk_test_i0KtuPKrsVmy7q4cQVelf0rtdX0AudYw6NRUW3A8MRrnmh98jizrqOBlXitnVb6Jjx9aCuYHe0FUQCw39W3ZgTYVohnN2WOjGPv'
end

Stripe.api_key = ENV.fetch('STRIPE_SECRET_KEY')
Stripe.api_key = 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'
PUBLISHABLE = 'pk_live_y7FZsasArbeDCBPP3ALSKeqU'  # publishable keys are public
ENDPOINT_SECRET = 'whsec_...'
# keys start sk_live_ (secret) or rk_live_ (restricted)
raise 'use a live key' unless key.start_with?('sk_live_')

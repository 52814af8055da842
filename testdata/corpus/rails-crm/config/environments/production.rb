require "active_support/core_ext/integer/time"

Rails.application.configure do
  config.cache_classes = true
  config.eager_load = true
  config.force_ssl = true
  config.log_level = :info
  config.cache_store = :redis_cache_store, { url: ENV.fetch("REDIS_URL", "redis://localhost:6379/1") }
  config.active_job.queue_adapter = :sidekiq

  config.action_mailer.smtp_settings = {
    address: "smtp.sendgrid.net",
    port: 587,
    user_name: "apikey",
    password: ENV["SENDGRID_API_KEY"],
    authentication: :plain,
    enable_starttls_auto: true
  }
  config.secret_key_base = ENV["SECRET_KEY_BASE"]
  config.active_record.encryption.primary_key = ENV["AR_PRIMARY_KEY"]
  config.active_record.encryption.key_derivation_salt = ENV["AR_KEY_DERIVATION_SALT"]
end

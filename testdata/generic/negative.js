// Placeholders, references, low-entropy values and documentation-style fixtures.
const config = {
  password: process.env.DB_PASSWORD,
  apiKey: "<your-api-key>",
  token: null,
  secret: "${APP_SECRET}",
};
const password = "hunter2";
const defaults = { password: "changeme", token: "Bearer" };
const fixture = { "NextToken": "eyJOZXh0VG9rZW4iOiBudWxsfQ==", "ClientToken": "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9" };
const secretPath = "/run/secrets/app-secret-1";
const api_key = "your_api_key_here_123";
module.exports = { config, password, defaults, fixture, secretPath, api_key };

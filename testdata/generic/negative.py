import os

password = os.environ["DB_PASSWORD"]
token = None


class Client:
    def __init__(self, secret):
        self.secret = secret

    def auth(self):
        secret = self.secret
        password = "P4ssw0rd"
        api_key = "{{ api_key }}"
        return secret, password, api_key

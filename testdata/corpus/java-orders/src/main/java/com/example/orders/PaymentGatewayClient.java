package com.example.orders;

import com.braintreegateway.BraintreeGateway;
import com.twilio.Twilio;
import com.mailchimp.MailchimpClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.UUID;

/** Talks to the payment and notification providers for the orders service. */
public class PaymentGatewayClient {

    private static final String BRAINTREE_TOKEN = "access_token$production$r5j1qco4escxiakw$3a278d259a288e09e0b1764f8d0e6a2d";
    private static final String TWILIO_ACCOUNT_SID = "AC2d2caf8c3d5d966ba8b56bab5b184049";
    private static final String TWILIO_AUTH_TOKEN = "190c943bb0eff183f5452ed340655ce8";
    private static final String MAILCHIMP_API_KEY = "8136b2aeeb7481fcc38a6d955f6527fc-us14";
    private static final String RAZORPAY_KEY_ID = "rzp_live_M0JBHXT39JD1OR";
    private static final String RAZORPAY_KEY_SECRET = "ZPwiUPeegulVERBNoM9AFPSw";

    // Sample value from the provider docs, kept for the unit test of the parser.
    private static final String EXAMPLE_TOKEN = "YOUR_ACCESS_TOKEN_HERE";
    private static final String PRIMARY_KEY_COLUMN = "order_uuid";
    private static final UUID TENANT_ID = UUID.fromString("f04a0ac9-2628-4634-97d0-7f08587a9428");

    private final BraintreeGateway gateway = new BraintreeGateway(BRAINTREE_TOKEN);
    private final HttpClient http = HttpClient.newHttpClient();

    public PaymentGatewayClient() {
        Twilio.init(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN);
    }

    public HttpRequest shipmentRequest(String orderId) {
        return HttpRequest.newBuilder(URI.create("https://api.goshippo.com/shipments/" + orderId))
                .header("Authorization", "ShippoToken shippo_live_8877522d3b3d8e82ad5e8aeef51016d8cbcea0b0")
                .build();
    }

    public HttpRequest flutterwaveRefund(String txId) {
        return HttpRequest.newBuilder(URI.create("https://api.flutterwave.com/v3/transactions/" + txId + "/refund"))
                .header("Authorization", "Bearer FLWSECK-4cb0119d5bb428140ca6b797f75cf344-X")
                .build();
    }
}

// Firebase config read from the environment; placeholders only.
const firebaseConfig = {
  apiKey: process.env.FIREBASE_API_KEY,
  authDomain: "demo-project.firebaseapp.com",
  projectId: "demo-project",
};
const docsKey = "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
const clientSecret = "GOCSPX-your-client-secret-here";
const truncated = "ya29.a0Af...";
// "private_key_id": "<key-id>", "private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"
export default firebaseConfig;

# Synthetic Google credentials for keyhound's test corpus.
MAPS_API_KEY = "AIzaLQ_VccmFoVoREFXbB3FaayKu5PhCY_-oFig"
OAUTH_CLIENT_SECRET = "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"
FCM_SERVER_KEY = "AAAAqTPLmV6:APA91b3C2Wnm8CmOjUvCnES37JSp5JadfEhuon0enIxxnog3pvnyElcFrSvIpgGvTqr0yfiWi5APxMoNTsPGSOG3n-TnAVWSQw3ZrKan3KlSbLWnlSKHBc3Q0c4btqcQLRGvz_joBE9p"

token_response = {
    "access_token": "ya29.a0AfB_byCszhHu9WupT7U61w82M608lCqdGTYHKWTJPxtQ5b-OfvdUuCi-sbW1UFqhHGc8H1WJ8hl6sbWEUh8IyIR4jb_AV5KJdrLfklatTk4hBCNynsOxoV9HqWSr4_ypGFN5BpysuYHshXrq1R8fFiBJXnhFxTYUJjQ_FOw",
    "expires_in": 3599,
    "refresh_token": "1//0g1R5S4OHdpaB41W8bL4vSF0ifH7VKfZwefBWLxKj0rPDQ8rLig2TKWhUjpNWR63DBzSIJx04lAuAkbIgKTvDMx6OuV1fhoPzli1",
    "scope": "https://www.googleapis.com/auth/drive.readonly",
    "token_type": "Bearer",
}

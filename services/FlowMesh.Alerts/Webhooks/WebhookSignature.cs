using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FlowMesh.Alerts.Webhooks;

/// <summary>
/// Signs webhook bodies so receivers can verify them: <c>X-FlowMesh-Signature: sha256=&lt;hex&gt;</c>
/// is HMAC-SHA256 with the shared secret over <c>"&lt;timestamp&gt;.&lt;body&gt;"</c>, and
/// <c>X-FlowMesh-Timestamp</c> carries the Unix seconds, so a captured request cannot be replayed later
/// (receivers reject old timestamps).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-FlowMesh-Signature";
    public const string TimestampHeader = "X-FlowMesh-Timestamp";

    public static string Sign(ReadOnlySpan<byte> body, long unixSeconds, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Constant-time check of a received signature, with a bound on the timestamp's age.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? timestampHeader, string? signatureHeader, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signatureHeader is null || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(body, ts, secret));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }
}

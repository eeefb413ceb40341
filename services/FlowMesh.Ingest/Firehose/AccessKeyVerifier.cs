using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>
/// Checks <c>X-Amz-Firehose-Access-Key</c> against every configured key in constant time.
/// Keys are compared as SHA-256 digests, so the comparison has a fixed length and neither the
/// position of the first differing byte nor the length of a key leaks through timing.
/// </summary>
internal sealed class AccessKeyVerifier
{
    private readonly byte[][] _digests;

    public AccessKeyVerifier(IOptions<IngestOptions> options)
    {
        var settings = options.Value;
        AllowsAnyRequest = settings.AllowInsecureNoAccessKey && !settings.ConfiguredAccessKeys().Any();
        _digests = [.. settings.ConfiguredAccessKeys().Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
    }

    /// <summary>True when no key is configured and the insecure development switch is on.</summary>
    public bool AllowsAnyRequest { get; }

    public bool IsAuthorized(string? presentedKey)
    {
        if (AllowsAnyRequest) return true;
        if (presentedKey is null) return false;

        var byteCount = Encoding.UTF8.GetByteCount(presentedKey);
        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var length = Encoding.UTF8.GetBytes(presentedKey, rented);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(rented.AsSpan(0, length), digest);
            // Every key is compared (no early exit), so the time does not tell which key matched.
            var match = false;
            foreach (var expected in _digests)
                match |= CryptographicOperations.FixedTimeEquals(digest, expected);
            return match;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, byteCount));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

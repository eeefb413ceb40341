using System.Buffers;
using System.IO.Compression;

namespace FlowMesh.FlowLogs;

/// <summary>Gzip inflation into the decoder's pooled buffer, bounded by <see cref="MaxInflatedBytes"/>.</summary>
public sealed partial class FlowPayloadDecoder
{
    private unsafe bool TryInflate(ReadOnlySpan<byte> gzip, out int length, out string error)
    {
        length = 0;
        error = string.Empty;
        if (_inflated.Length == 0) _inflated = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            // The span is pinned and read in place: no copy of the compressed payload.
            fixed (byte* pointer = gzip)
            {
                using var compressed = new UnmanagedMemoryStream(pointer, gzip.Length);
                using var inflater = new GZipStream(compressed, CompressionMode.Decompress);
                var total = 0;
                while (true)
                {
                    if (total == _inflated.Length) GrowInflated(total);
                    // Ask for one byte beyond the limit, so "exactly at the limit" and "beyond it" differ.
                    var window = (int)Math.Min(_inflated.Length, (long)MaxInflatedBytes + 1) - total;
                    var read = inflater.Read(_inflated, total, window);
                    if (read == 0) break;
                    total += read;
                    if (total > MaxInflatedBytes)
                    {
                        error = $"the gzip payload inflates beyond the limit of {MaxInflatedBytes} bytes";
                        return false;
                    }
                }
                length = total;
                return true;
            }
        }
        catch (InvalidDataException e)
        {
            error = $"the payload starts like gzip but cannot be inflated: {e.Message}";
            return false;
        }
    }

    private void GrowInflated(int used)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_inflated.Length * 2, (long)MaxInflatedBytes + 1));
        _inflated.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_inflated);
        _inflated = larger;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FlowMesh.FlowLogs;

/// <summary>Finds the field separators of a line in one vectorised pass (16 bytes per step).</summary>
internal static class LineTokenizer
{
    /// <summary>
    /// Writes the offsets of the first <c>positions.Length</c> spaces and returns how many spaces the line has
    /// in total (it keeps counting past the buffer, so a line with too many fields is still measured).
    /// </summary>
    public static int FindSpaces(ReadOnlySpan<byte> line, Span<int> positions)
    {
        var count = 0;
        var i = 0;
        if (Vector128.IsHardwareAccelerated && line.Length >= Vector128<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(line);
            var space = Vector128.Create((byte)' ');
            for (; i <= line.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                var mask = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), space).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    Record(positions, ref count, i + BitOperations.TrailingZeroCount(mask));
                    mask &= mask - 1;
                }
            }
        }
        for (; i < line.Length; i++)
        {
            if (line[i] == (byte)' ') Record(positions, ref count, i);
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Record(Span<int> positions, ref int count, int offset)
    {
        if ((uint)count < (uint)positions.Length) positions[count] = offset;
        count++;
    }
}

using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace FlowMesh.FlowLogs;

/// <summary>
/// Maps UTF-8 bytes to one shared <see cref="string"/> per distinct value, so ids that repeat on every
/// line (account, ENI, VPC, subnet…) cost no allocation after their first sighting. Bounded: when it
/// holds <see cref="MaxEntries"/> strings it starts over, so a stream of unique values (ECS task ids)
/// cannot grow it without limit. Not thread-safe: one per parser.
/// </summary>
public sealed class Utf8StringInterner
{
    private const int InitialSlots = 256;

    private Entry[] _slots = new Entry[InitialSlots];
    private int _mask = InitialSlots - 1;

    public Utf8StringInterner(int maxEntries = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        MaxEntries = maxEntries;
    }

    /// <summary>The number of strings kept before the table is cleared.</summary>
    public int MaxEntries { get; }

    /// <summary>Strings currently held.</summary>
    public int Count { get; private set; }

    /// <summary>Returns the string for <paramref name="utf8"/>, creating it only if it is not held yet.</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        var hash = Hash(utf8);
        var slots = _slots;
        var i = hash & _mask;
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Value is null) break;
            if (slot.Hash == hash && utf8.SequenceEqual(slot.Utf8)) return slot.Value;
            i = (i + 1) & _mask;
        }

        if (Count >= MaxEntries)
        {
            Array.Clear(_slots);
            Count = 0;
        }
        else if ((Count + 1) * 2 > _slots.Length)
        {
            Grow();
        }
        var value = Encoding.UTF8.GetString(utf8);
        Insert(new Entry(hash, utf8.ToArray(), value));
        Count++;
        return value;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Entry[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var entry in old)
        {
            if (entry.Value is not null) Insert(entry);
        }
    }

    private void Insert(Entry entry)
    {
        var i = entry.Hash & _mask;
        while (_slots[i].Value is not null) i = (i + 1) & _mask;
        _slots[i] = entry;
    }

    /// <summary>A fast non-cryptographic hash, eight bytes per step (ids are 8–64 bytes).</summary>
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15UL;
        var whole = utf8;
        var h = (ulong)utf8.Length * Multiplier;
        while (utf8.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8)) * Multiplier, 29);
            utf8 = utf8[8..];
        }
        ulong tail = 0;
        if (utf8.Length > 0 && whole.Length >= 8)
        {
            // Re-read the last eight bytes (overlapping the previous step) instead of a byte loop.
            tail = BinaryPrimitives.ReadUInt64LittleEndian(whole[^8..]);
        }
        else
        {
            for (var i = 0; i < utf8.Length; i++) tail |= (ulong)utf8[i] << (8 * i);
        }
        h = (h ^ tail) * Multiplier;
        h ^= h >> 32;
        return (int)h & int.MaxValue;
    }

    private readonly record struct Entry(int Hash, byte[] Utf8, string Value);
}

using System.Buffers;

namespace FlowMesh.Ingest.Firehose;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}"/>; returned on dispose.</summary>
internal sealed class PooledBuffer : IDisposable
{
    private byte[] _array;

    public PooledBuffer(int initialCapacity) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>A read-only stream over the written bytes (valid until the buffer grows or is disposed).</summary>
    public MemoryStream OpenRead() => new(_array, 0, Length, writable: false);

    /// <summary>Free space after the written bytes, at least <paramref name="sizeHint"/> bytes (grows by doubling).</summary>
    public Memory<byte> GetMemory(int sizeHint)
    {
        if (_array.Length - Length < sizeHint)
        {
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_array.Length * 2, (long)Length + sizeHint)));
            _array.AsSpan(0, Length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_array);
            _array = grown;
        }
        return _array.AsMemory(Length);
    }

    /// <summary>Scratch space of at least <paramref name="size"/> bytes, discarding what was written.</summary>
    public Span<byte> GetScratch(int size)
    {
        Length = 0;
        return GetMemory(size).Span[..size];
    }

    public void Advance(int count) => Length += count;

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }
}

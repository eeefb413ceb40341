namespace FlowMesh.FlowLogs.Tests;

public sealed class Utf8StringInternerTests
{
    [Fact]
    public void Intern_SameBytes_ReturnsSameInstance()
    {
        var interner = new Utf8StringInterner();

        var a = interner.Intern("eni-0a1b2c3d4e5f60718"u8);
        var b = interner.Intern("eni-0a1b2c3d4e5f60718"u8);
        var c = interner.Intern("eni-0a1b2c3d4e5f60719"u8);

        Assert.Same(a, b);
        Assert.Equal("eni-0a1b2c3d4e5f60718", a);
        Assert.Equal("eni-0a1b2c3d4e5f60719", c);
        Assert.Equal(2, interner.Count);
    }

    [Fact]
    public void Intern_ManyDistinctValues_KeepsEachDistinctAndStaysBounded()
    {
        var interner = new Utf8StringInterner(maxEntries: 1000);
        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 5000; i++)
        {
            var text = $"id-{i % 1500}";
            var value = interner.Intern(System.Text.Encoding.UTF8.GetBytes(text));
            Assert.Equal(text, value);
            Assert.InRange(interner.Count, 1, 1000);
            seen[text] = value;
        }
        Assert.Equal(1500, seen.Count);
    }

    [Fact]
    public void Intern_AfterReachingTheBound_StartsOver()
    {
        var interner = new Utf8StringInterner(maxEntries: 2);
        interner.Intern("a"u8);
        interner.Intern("b"u8);

        interner.Intern("c"u8);

        Assert.Equal(1, interner.Count);
    }
}

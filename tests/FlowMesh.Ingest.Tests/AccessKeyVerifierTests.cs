using FlowMesh.Ingest.Firehose;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Tests;

public sealed class AccessKeyVerifierTests
{
    [Theory]
    [InlineData("k1", true)]
    [InlineData("k2", true)]
    [InlineData("k3", false)]
    [InlineData("K1", false)]
    [InlineData("k1k1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsAuthorized_AgainstTwoKeys_MatchesExactlyThoseKeys(string? presented, bool expected)
    {
        var options = new IngestOptions { AccessKey = "k1" };
        options.AccessKeys.Add("k2");

        Assert.Equal(expected, new AccessKeyVerifier(Options.Create(options)).IsAuthorized(presented));
    }

    [Fact]
    public void IsAuthorized_InsecureWithoutKeys_AllowsAnything()
    {
        var verifier = new AccessKeyVerifier(Options.Create(new IngestOptions { AllowInsecureNoAccessKey = true }));

        Assert.True(verifier.AllowsAnyRequest);
        Assert.True(verifier.IsAuthorized(null));
    }

    [Fact]
    public void IsAuthorized_LongUnicodeKey_Matches()
    {
        var key = string.Concat(Enumerable.Repeat("ключ-", 400));
        var verifier = new AccessKeyVerifier(Options.Create(new IngestOptions { AccessKey = key }));

        Assert.True(verifier.IsAuthorized(key));
        Assert.False(verifier.IsAuthorized(key[..^1]));
    }
}

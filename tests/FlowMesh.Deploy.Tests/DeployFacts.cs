namespace FlowMesh.Deploy.Tests;

/// <summary>The kustomizations every manifest check runs against.</summary>
public static class DeployFacts
{
    public const string Dev = "overlays/dev";
    public const string Prod = "overlays/prod";
    public const string Base = "base";

    /// <summary>The deployable overlays (base is only checked for what it must not contain).</summary>
    public static TheoryData<string> Overlays => new(Dev, Prod);

    /// <summary>The Secret every container reads (a reference in the base; generated only by the dev overlay).</summary>
    public const string SecretName = "flowmesh-secrets";

    public const string AccessKeySecretKey = "firehose-access-key";
    public const string RedisSecretKey = "redis-connection-string";
}

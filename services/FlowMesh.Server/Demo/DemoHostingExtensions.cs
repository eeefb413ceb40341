using System.Security.Cryptography;
using FlowMesh.Ingest.Firehose;
using FlowMesh.Server.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Demo;

/// <summary>What the start-up banner says about demo mode: the access key generated for this run, if any.</summary>
public sealed record DemoStartup(string? GeneratedAccessKey);

/// <summary>Wiring of demo mode (<c>--demo</c>, <c>FlowMesh:Demo:Enabled</c>).</summary>
public static class DemoHostingExtensions
{
    private const string AccessKeySetting = IngestOptions.SectionName + ":" + nameof(IngestOptions.AccessKey);

    /// <summary>
    /// In demo mode, adds the traffic feeder. Call it after every other role: hosted services stop
    /// in reverse order, so the feeder stops first and no new delivery races the shutdown. When no
    /// access key is configured (and <c>--insecure-no-access-key</c> is not given), a random key
    /// is generated for this run, configured on the ingest role and shown in the banner — the
    /// endpoint stays protected and the user can still replay files into it.
    /// </summary>
    public static IHostApplicationBuilder AddFlowMeshDemo(this IHostApplicationBuilder builder, ServerRoles roles)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:{nameof(DemoOptions.Enabled)}"))
            return builder;
        if (!roles.HasFlag(ServerRoles.Ingest))
        {
            throw new OptionsValidationException(DemoOptions.SectionName, typeof(DemoOptions),
                ["--demo (FlowMesh:Demo:Enabled) feeds this process's own Firehose endpoint, so it needs the ingest role: add ingest to --roles, or drop --demo."]);
        }

        var ingest = builder.Configuration.GetSection(IngestOptions.SectionName).Get<IngestOptions>() ?? new IngestOptions();
        string? generated = null;
        if (!ingest.ConfiguredAccessKeys().Any() && !ingest.AllowInsecureNoAccessKey)
        {
            generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            builder.Configuration.AddInMemoryCollection([new(AccessKeySetting, generated)]);
        }
        builder.Services.AddSingleton(new DemoStartup(generated));
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>());
        builder.Services.AddHostedService<DemoTrafficFeeder>();
        return builder;
    }
}

using BenchmarkDotNet.Running;
using FlowMesh.Benchmarks;

if (args is ["--memory-per-grain"])
{
    await GrainMemoryProbe.RunAsync();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

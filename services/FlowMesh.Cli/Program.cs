using FlowMesh.Cli;

var console = CliConsole.CreateSystem();
var exitCode = await CliApp.RunAsync(args, console);
await console.FlushAsync();
return exitCode;

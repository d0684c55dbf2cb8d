namespace RgLens.Models;

/// <summary>
/// One user-facing parameter of a chain family: its command-line name (e.g. <c>K</c>, <c>h</c>,
/// <c>a</c>, <c>lambda</c>), what it means, and the default the CLI uses when it is not given.
/// </summary>
/// <param name="Name">The name used on the command line and in JSON (<c>--K</c>, <c>"K"</c>).</param>
/// <param name="Description">What the parameter is, in the theory's words.</param>
/// <param name="Default">The value used when the user does not give one.</param>
public sealed record ParameterInfo(string Name, string Description, double Default);

namespace RgLens.Nn;

/// <summary>The optimizer and its hyper-parameters: <see cref="AdamSettings"/> or <see cref="SgdSettings"/>.</summary>
public abstract record OptimizerSettings
{
    private protected OptimizerSettings() { }

    /// <summary>The name in manifests and checkpoints: <c>adam</c> or <c>sgd</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Checks the hyper-parameters.</summary>
    /// <exception cref="ArgumentException">A value outside its domain.</exception>
    public abstract void Validate();
}

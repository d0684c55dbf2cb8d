// RgLens as a library: sample an Ising chain, run its exact RG, train an autoencoder on the
// samples, and read every encoder layer with the gauge-fixed readings. Run with
//   dotnet run --project examples/Quickstart -c Release
using RgLens.Experiments;
using RgLens.Models;
using RgLens.Nn;
using RgLens.Probes;
using RgLens.Renormalization;
using RgLens.Sampling;

var theta0 = new IsingParameters(0.8, 0.2);
var model = new ChainModel(theta0, 32, Boundary.Periodic);

// 1. Exact samples (seeded: the same seed gives the same samples on any machine).
var train = ChainSampler.Sample(model, 8000, seed: 1).Convert<float>();
var probe = ChainSampler.Sample(model, 4000, seed: 2).Convert<float>();

// 2. The exact RG: decimation by 2, three times, and the stable fixed point.
var flow = RgFlow.Run(theta0, 2, 3);
for (int l = 0; l < flow.Steps.Count; l++)
    Console.WriteLine($"RG step {l}: {flow.Steps[l].Parameters.Describe()}");
Console.WriteLine($"fixed point: K* = {flow.FixedPoint.Values[0]:G4}, h* = {flow.FixedPoint.Values[1]:G4}");

// 3. A tanh autoencoder 32 → 16 → 8 → 4, trained to its early-stopping optimum.
var spec = NetworkSpec.Autoencoder([32, 16, 8, 4], Activation.Tanh);
var trained = Trainer.Train(spec, train, null, new TrainerOptions { Epochs = 30, Patience = 4, MinRelativeImprovement = 2e-3, LearningRate = 3e-3, Seed = 3 });
Console.WriteLine($"trained: {trained.StopReason} after {trained.History.Count} epochs, validation loss {trained.BestLoss:G4}");

// 4. Every encoder layer read as a chain (sign reading: spins of the gauge-fixed pre-activations).
var layers = NetworkProbe.Layers(trained.Network, probe, [new SignReading()], Boundary.Periodic, replicates: 50, seed: 4, orderFree: false);
foreach (var layer in layers)
{
    var m = layer["sign"];
    Console.WriteLine($"layer {layer.Layer} ({layer.Width} units): K = {m.Coupling.Estimate:G3} [{m.Coupling.Lower:G3}, {m.Coupling.Upper:G3}], "
        + $"h = {m.Field!.Estimate:G3}; RG step {layer.Layer}: K = {flow.Steps[layer.Layer].Parameters["K"]:G3}");
}

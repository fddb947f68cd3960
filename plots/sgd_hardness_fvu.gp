# Claim SH2, figure: fraction of variance unexplained after online training on
# cos(2 pi gamma x_1), x ~ N(0, I_d), vs gamma: the Gaussian-init FCN (SGD, Adam; every d in
# the data), the coordinate-aware learner (Adam, ridge) and its equivariant twin (ridge, same
# radial law and kinks, random directions), median over seeds with min-max bars.
# Dashed: 0.2 (learned) and 0.9 (failed).
# Reads resdir/sgd_hardness_fvu.csv (learner,d,gamma,median,min,max,nseeds).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
reset
set datafile separator comma
f = resdir."/sgd_hardness_fvu.csv"
array LN[5] = ["FCN, SGD", "FCN, Adam", "first layer along e1, Adam", "first layer along e1, ridge", "random directions (twin), ridge"]
array PT[5] = [7, 5, 9, 11, 13]
array DS[3] = [8, 16, 64]
set xlabel "frequency gamma"
set ylabel "FVU on fresh test points"
set yrange [-0.05:1.25]
set grid
set key outside right top font ",9"
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,560 font ",11"; set output figdir."/sgd_hardness_fvu.png" }
  if (fmt eq "svg") { set terminal svg size 1000,560 font ",11"; set output figdir."/sgd_hardness_fvu.svg" }
  set title "SH2: the O(d)-equivariant FCN fails at large gamma, the coordinate-aware learner does not"
  plot for [l=0:1] for [k=1:3] f skip 1 using 3:(($1==l && $2==DS[k]) ? $4 : 1/0):5:6 with yerrorlines \
          lw 2 pt PT[l+1] lc l+1 dt k title sprintf("%s, d = %d", LN[l+1], DS[k]), \
       for [l=2:4] f skip 1 using 3:(($1==l) ? $4 : 1/0):5:6 with yerrorlines lw 2 pt PT[l+1] lc l+1 \
          title LN[l+1].", d = 16", \
       0.2 with lines dt 2 lc rgb "gray40" title "FVU 0.2 (learned)", \
       0.9 with lines dt 3 lc rgb "gray20" title "FVU 0.9 (failed)"
  unset output
}

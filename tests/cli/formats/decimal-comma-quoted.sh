# Quoted decimal commas between commas: a precise error, not "no metric columns".
printf 'epoch,loss,val_loss\n"0","1,5","1,25"\n"1","0,5","1,0"\n' | "$SC" -

module vyx/gofrontend

go 1.19
